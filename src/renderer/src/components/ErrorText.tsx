/** What went wrong, said where it happened; screen readers announce it. `id` lets the control point at it. */
export function ErrorText({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p className="error-text" role="alert" id={id}>
      {message}
    </p>
  );
}

/** Props that tie a control to its error: marked invalid and described by the message. */
export const invalidProps = (message: string | null, id: string) => (message ? { 'aria-invalid': true, 'aria-describedby': id } : {});
