import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cairnAgentResume } from './cairn/agent-resume.js';
console.log(await cairnAgentResume({ dir: mkdtempSync(join(tmpdir(), 'ar-')), steps: Number(process.argv[2]) }));
