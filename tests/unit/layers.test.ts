import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();
const errorsFor = async (filePath: string, code: string) =>
  (await eslint.lintText(code, { filePath })).flatMap((r) => r.messages).filter((m) => m.ruleId === 'no-restricted-imports');

describe('layers enforced by lint', () => {
  it.each(['src/main/core/pool/x.ts', 'src/shared/x.ts', 'src/main/web/x.ts', 'src/server/x.ts'])('forbids electron in %s', async (file) => {
    expect(await errorsFor(file, "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });

  it('allows electron in the composition root', async () => {
    expect(await errorsFor('src/main/index.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
  });

  it('keeps node built-ins out of the shared contract', async () => {
    expect(await errorsFor('src/shared/x.ts', "import { readFile } from 'node:fs';\nexport const r = readFile;\n")).toHaveLength(1);
  });
});
