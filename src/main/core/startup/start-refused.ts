/**
 * A start the console refuses for a reason its message tells whole, with what to do: the host prints it as
 * it is (no stack, no "could not start"), and the desktop app shows it in its dialog.
 */
export class StartRefused extends Error {
  override readonly name = 'StartRefused';
}
