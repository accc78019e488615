import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../../shared/roles';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const HashedSchema = z.object({ salt: hex(16), hash: hex(32) }).strict();
const PinsSchema = z.partialRecord(z.enum(ROLES), HashedSchema);
type Pins = z.infer<typeof PinsSchema>;

const KEY_LEN = 32;
const hashPin = (pin: string, salt: Buffer): Buffer => scryptSync(pin, salt, KEY_LEN, { N: 16_384, r: 8, p: 1 });

/** PINs per role, hashed with scrypt and a salt each, in the local-state database. */
export class PinStore {
  private readonly saved: SettingsStore;

  /** `kept`: copies console.db's -wal into its main file, so PINs set are never taken back by a lost -wal. */
  constructor(
    private readonly db: Db,
    private readonly kept: () => void = () => {},
  ) {
    this.saved = new SettingsStore(db);
  }

  private load(): Pins {
    return this.saved.get('pins', PinsSchema, {});
  }

  /** Saved PINs that cannot be read still count as set: damage must not reopen first-run setup to anyone. */
  get configured(): boolean {
    return this.saved.has('pins');
  }

  /**
   * Sets the PINs given; the others stay as they are. `withIt` (the audit row) commits in the same transaction: a
   * kill between the two left a PIN changed with no row saying so (probe22 K4).
   */
  set(pins: Partial<Record<Role, string>>, withIt: () => void = () => {}): void {
    const out: Pins = this.load();
    for (const [role, pin] of Object.entries(pins) as [Role, string | undefined][]) {
      if (pin === undefined) continue;
      const salt = randomBytes(16);
      out[role] = { salt: salt.toString('hex'), hash: hashPin(pin, salt).toString('hex') };
    }
    this.db.transaction(() => {
      this.saved.set('pins', PinsSchema, out);
      withIt();
    })();
    this.kept();
  }

  check(role: Role, pin: string): boolean {
    const h = this.load()[role];
    if (!h) return false;
    return timingSafeEqual(hashPin(pin, Buffer.from(h.salt, 'hex')), Buffer.from(h.hash, 'hex'));
  }
}
