/**
 * A store URL fit for a log line: the password of a `postgres://user:password@host/db` URL is replaced
 * by `***` (a worker's start line ends up in the logs of a cluster). Other URLs are returned as they are.
 */
export function redactStoreUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL the store could open either; it will say so. Hide everything between :// and @.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
