/**
 * A short cue without audio files: two rising tones for welcome, one low buzz for a denial, and one soft
 * tone for a card scanned again just after it was let in (heard apart from a second welcome).
 */
export function cue(kind: 'welcome' | 'again' | 'denied'): void {
  const allowed = kind !== 'denied';
  try {
    const ctx = new AudioContext();
    const tones = kind === 'welcome' ? [880, 1320] : kind === 'again' ? [880] : [220];
    tones.forEach((f, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = allowed ? 'sine' : 'square';
      osc.frequency.value = f;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.12);
      osc.stop(ctx.currentTime + i * 0.12 + (allowed ? 0.11 : 0.4));
    });
    setTimeout(() => void ctx.close(), 1_000);
  } catch {
    // no audio device: the colour and words carry the verdict
  }
}
