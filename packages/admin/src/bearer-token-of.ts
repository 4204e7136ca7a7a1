/** The token of an `Authorization: Bearer <token>` header, or `null`. */
export function bearerTokenOf(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header === null ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}
