import { z } from 'zod';

// The CSP forbids eval; zod's probe for it would still show as a policy violation, so it must not try.
z.config({ jitless: true });
