/** A number field's text as sent: blank is "not a number" (refused with the field's range), never a silent 0. */
export const typedNumber = (text: string): number => (text.trim() === '' ? NaN : Number(text));
