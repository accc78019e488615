import { describe, expect, it } from 'vitest';
import { shellArg } from '../../src/main/core/shell-arg';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFileOpenWords } from '../../src/main/core/token-vault';

// review22 L7: "chmod 600 /home/gym/.config/AV Gym Console/backend-token" as the screens said it runs chmod on two files.
describe('a path in a command IT copies into a terminal', () => {
  it('is left as is when a shell reads it whole, quoted when it would not', () => {
    expect(shellArg('/var/lib/gym/backend-token')).toBe('/var/lib/gym/backend-token');
    expect(shellArg('/home/gym/.config/AV Gym Console/backend-token')).toBe("'/home/gym/.config/AV Gym Console/backend-token'");
    expect(shellArg("/srv/Bob's gym/console.db")).toBe("'/srv/Bob'\\''s gym/console.db'");
    expect(shellArg('/tmp/$HOME;rm -rf ~')).toBe("'/tmp/$HOME;rm -rf ~'");
  });

  it('is quoted in the token file warning', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gym-shell-arg-')), 'AV Gym Console');
    mkdirSync(dir);
    const file = join(dir, 'backend-token');
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
    expect(tokenFileOpenWords(file, 'linux')).toMatch(new RegExp(`run: chmod 600 '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'$`));
  });
});
