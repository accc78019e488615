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

  it.each([
    ['src/renderer/src/features/x.tsx', "import { startCore } from '../../../main/core/app';"],
    ['src/renderer/src/x.ts', "import { Gym } from '../../server/gym';"],
    ['src/main/core/handlers2.ts', "import { applyFault } from '../../server/faults';"],
    ['src/main/core/pool/x.ts', "import { Gym } from '../../../server/gym';"],
    ['src/main/core/store/x.ts', "import { buildView } from '../analytics/view';"],
    ['src/shared/x.ts', "import { startCore } from '../main/core/app';"],
    ['src/main/web/x.ts', "import { App } from '../../renderer/src/App';"],
  ])('forbids the import that crosses a layer in %s', async (file, line) => {
    expect(await errorsFor(file, `${line}\nexport const a = 1;\n`)).toHaveLength(1);
  });

  it.each([
    ['src/main/core/demo/x.ts', "import { startCluster } from '../../../server/cluster';"],
    ['src/main/core/store/x.ts', "import { resolveRange } from '../../../shared/analytics';"],
    ['src/renderer/src/x.ts', "import { ACCESS } from '../../shared/contract';"],
  ])('allows the imports each layer needs in %s', async (file, line) => {
    expect(await errorsFor(file, `${line}\nexport const a = 1;\n`)).toHaveLength(0);
  });

  it('keeps node built-ins out of the shared contract', async () => {
    expect(await errorsFor('src/shared/x.ts', "import { readFile } from 'node:fs';\nexport const r = readFile;\n")).toHaveLength(1);
  });
});
