// A bounded ring of one task's recently applied pane frames, kept as the JSON sent to phones, so a phone that
// resumes from its last seq gets only what it missed. Bounded by frame count and by total characters.

/** One applied frame: its seq, whether it is a snapshot, and its serialized form. */
export type RingFrame = { seq: number; full: boolean; json: string };

export type FrameRing = { frames: RingFrame[]; chars: number };

export type RingLimits = { maxFrames: number; maxChars: number };

/** Default bounds per task: 256 frames or 256 Ki characters, whichever is reached first. */
export const RING_LIMITS: RingLimits = { maxFrames: 256, maxChars: 256 * 1024 };

export const emptyRing = (): FrameRing => ({ frames: [], chars: 0 });

/**
 * Append an applied frame (seqs must increase) and evict the oldest past `limits`. The newest frame is always
 * kept, even alone over `maxChars`.
 */
export function pushFrame(ring: FrameRing, frame: RingFrame, limits: RingLimits = RING_LIMITS): void {
  ring.frames.push(frame);
  ring.chars += frame.json.length;
  while (ring.frames.length > 1 && (ring.frames.length > limits.maxFrames || ring.chars > limits.maxChars)) {
    const dropped = ring.frames.shift();
    ring.chars -= dropped?.json.length ?? 0;
  }
}

/**
 * The frames a receiver holding state `lastSeq` needs, in order; null when the ring cannot bring it up to date
 * (the first frame after `lastSeq` is a patch that does not follow `lastSeq`, i.e. it was evicted or never seen).
 * An empty array means nothing is newer than `lastSeq`.
 */
export function framesAfter(ring: FrameRing, lastSeq: number): RingFrame[] | null {
  const start = ring.frames.findIndex((f) => f.seq > lastSeq);
  if (start === -1) return [];
  const first = ring.frames[start];
  if (!first || (!first.full && first.seq !== lastSeq + 1)) return null;
  return ring.frames.slice(start);
}
