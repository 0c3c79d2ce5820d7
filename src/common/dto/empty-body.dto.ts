/**
 * The body of an action that takes no input (mark all read): declared, so the whitelist refuses any field sent
 * with it (400) like on every other write, instead of ignoring what a client meant to say.
 */
export class EmptyBodyDto {}
