/** The CLI finds a host on its default address by itself; any other one it must be told, as `LAZYAF_SERVER`. */
export function cliServerPrefix(origin = location.origin): string {
  return origin === 'http://127.0.0.1:8080' ? '' : `LAZYAF_SERVER=${origin} `;
}
