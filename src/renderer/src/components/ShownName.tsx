/**
 * A member's name from the backend in a cell or a line: at most `lines` lines, cut with … and whole in
 * the tooltip. A name is any 200 characters (one word of 200 W's), so it must never widen its table or
 * push the verdict beside it off the screen (probe-hostile16 F2); the box also clips anything drawn
 * above or below it.
 */
export function ShownName({ name, lines = 2, as: Tag = 'span', className = '' }: { name: string; lines?: 1 | 2; as?: 'span' | 'strong' | 'div'; className?: string }) {
  return (
    <Tag className={`${className} shown-name lines-${lines}`.trim()} title={name}>
      {name}
    </Tag>
  );
}
