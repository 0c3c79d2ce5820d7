import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { Permission, PERMISSION_KEY, PUBLIC_KEY } from '../../src/common/auth.decorators';

export interface DiscoveredRoute {
  method: string;
  path: string;
  /** `Controller.handler`, for messages. */
  source: string;
  /** What the method and its class declare, read independently of the guard. */
  declared: { public: boolean; permission?: Permission };
}

function segments(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value ?? ''];
  return list.map((v) => String(v).replace(/^\/+|\/+$/g, ''));
}

/**
 * Every route of the booted app's controllers, with the access it declares: the method's @Public/@Authenticated
 * if it has any, else its class's (the same precedence the guard applies).
 */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: DiscoveredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller?.prototype) continue;
    const prefixes = segments(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, object>)[name];
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const declaredOn = (target: object) => ({
        public: reflector.get<boolean | undefined>(PUBLIC_KEY, target as never) === true,
        permission: reflector.get<Permission | undefined>(PERMISSION_KEY, target as never),
      });
      const onMethod = declaredOn(handler);
      const declared = onMethod.public || onMethod.permission ? onMethod : declaredOn(controller);
      for (const prefix of prefixes) {
        for (const tail of segments(methodPath)) {
          const path = '/' + [prefix, tail].filter(Boolean).join('/');
          routes.push({ method, path, source: `${controller.name}.${name}`, declared });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** The routes Express actually serves (method + path pattern), to check discovery missed none. */
export function expressRoutes(app: INestApplication): { method: string; path: string }[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => ({ method: m.toUpperCase(), path: layer.route!.path })),
    );
}

/** A concrete URL for a route pattern: params become a random UUID, wildcards "x", optional groups are kept. */
export function concretePath(pattern: string, id: string): string {
  return pattern
    .replace(/[{}]/g, '')
    .replace(/:[A-Za-z0-9_]+/g, id)
    .replace(/\*[A-Za-z0-9_]+/g, 'x');
}
