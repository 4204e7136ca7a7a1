/**
 * A `DO` block running `body`, dollar-quoted with a tag the body does not contain: configured
 * names appear in the body (a table called `x$migrate$y` is legal), and a fixed tag would let such
 * a name end the block early.
 */
export function postgresDoBlock(body: string): string {
  let tag = '$migrate$';
  for (let attempt = 1; body.includes(tag); attempt++) tag = `$migrate_${attempt}$`;
  return `DO ${tag}\n${body}\n${tag}`;
}
