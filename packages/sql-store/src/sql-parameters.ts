/** Collects the values of a parameterized statement and hands out their placeholders (`?` by default, `$n` for PostgreSQL). */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(private readonly placeholder: (position: number) => string = () => '?') {}

  /** Adds a value; returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return this.placeholder(this.values.length);
  }

  /** Adds every value; returns their placeholders separated by commas. */
  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(', ');
  }
}
