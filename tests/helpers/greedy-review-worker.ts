// A review worker that never stops taking memory: what a file built to exhaust the reader would do.
const kept: number[][] = [];
for (;;) kept.push(new Array(1_000_000).fill(1.5));
