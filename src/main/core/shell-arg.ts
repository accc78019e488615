/**
 * A path as it goes into a command IT copies into a terminal: quoted when it holds anything a shell reads apart
 * ("AV Gym Console", "Application Support"), as is otherwise (review22 L7). POSIX single quotes; a quote inside is closed,
 * escaped and reopened.
 */
export function shellArg(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
