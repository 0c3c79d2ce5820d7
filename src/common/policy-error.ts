/** A policy file that cannot be used; the message names the file, the entry and the field. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: entry "${entry}", field "${field}": ${problem}`);
  }
}
