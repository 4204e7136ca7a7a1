/** {@link createAdminHandler} was given options it refuses (no authorizer, a short secret…). */
export class AdminConfigError extends Error {
  /** The option at fault. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`createAdminHandler: ${option} ${message}`);
    this.name = 'AdminConfigError';
    this.option = option;
  }
}
