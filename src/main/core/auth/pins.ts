import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../../shared/roles';
import type { Db } from '../store/db';

interface Hashed {
  salt: string;
  hash: string;
}

const KEY_LEN = 32;
const hashPin = (pin: string, salt: Buffer): Buffer => scryptSync(pin, salt, KEY_LEN, { N: 16_384, r: 8, p: 1 });

/** PINs per role, hashed with scrypt and a salt each, in the local-state database. */
export class PinStore {
  constructor(private readonly db: Db) {}

  private load(): Partial<Record<Role, Hashed>> {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'pins'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Partial<Record<Role, Hashed>>) : {};
  }

  get configured(): boolean {
    return Object.keys(this.load()).length > 0;
  }

  set(pins: Record<Role, string>): void {
    const out: Partial<Record<Role, Hashed>> = {};
    for (const [role, pin] of Object.entries(pins) as [Role, string][]) {
      const salt = randomBytes(16);
      out[role] = { salt: salt.toString('hex'), hash: hashPin(pin, salt).toString('hex') };
    }
    this.db.prepare("INSERT INTO settings (key, value) VALUES ('pins', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(out));
  }

  check(role: Role, pin: string): boolean {
    const h = this.load()[role];
    if (!h) return false;
    return timingSafeEqual(hashPin(pin, Buffer.from(h.salt, 'hex')), Buffer.from(h.hash, 'hex'));
  }
}
