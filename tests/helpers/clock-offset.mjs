// Preloaded into a reference backend a test wants with a wrong clock: Date.now (all the backend stamps with) runs
// GYM_TEST_CLOCK_OFFSET_MS from this PC's, as a backend host's clock can (no real-time clock, a VM snapshot).
const offset = Number(process.env.GYM_TEST_CLOCK_OFFSET_MS);
if (!Number.isFinite(offset)) throw new Error(`GYM_TEST_CLOCK_OFFSET_MS is not a number: ${process.env.GYM_TEST_CLOCK_OFFSET_MS}`);
const realNow = Date.now;
Date.now = () => realNow() + offset;
