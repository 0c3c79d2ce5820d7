/**
 * A dependency a lower module declares and a higher module supplies when the application starts (in its
 * `onModuleInit`), so that imports point one way only: the lower module calls the port, never the higher module.
 * Used where a write in one module must do something another module owns in the same transaction (a system's
 * controls when the system is saved) or ask it a question (which controls a system has).
 */
export class BoundPort<T> {
  private bound: T | null = null;

  constructor(
    private readonly name: string,
    private readonly suppliedBy: string,
  ) {}

  bind(target: T): void {
    this.bound = target;
  }

  protected get target(): T {
    if (!this.bound) throw new Error(`Nothing supplies the ${this.name} port: ${this.suppliedBy} binds it at start`);
    return this.bound;
  }
}
