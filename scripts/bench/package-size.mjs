// The package as users download it, and what loading it costs n8n.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '../lib/n8n.mjs';

const run = promisify(execFile);

export async function measurePackage() {
	const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: repoRoot, maxBuffer: 1 << 24 });
	const [info] = JSON.parse(stdout);
	const nodeFile = path.join(repoRoot, 'dist', 'nodes', 'HighLevel', 'HighLevelMessageTrigger.node.js');
	// Each sample is a fresh Node process, as at n8n start-up. "In n8n" preloads
	// zod and crypto, which n8n has loaded long before it loads community nodes.
	const sample = async (preloadZod) => {
		const script = `${preloadZod ? "require('zod');require('crypto');" : ''}const t=process.hrtime.bigint();require(${JSON.stringify(nodeFile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
		const { stdout: ms } = await run(process.execPath, ['-e', script], { cwd: repoRoot });
		return Number(ms);
	};
	const median = async (preloadZod) => {
		const samples = [];
		for (let index = 0; index < 9; index++) samples.push(await sample(preloadZod));
		samples.sort((a, b) => a - b);
		return samples[4];
	};
	return {
		tarballBytes: info.size,
		unpackedBytes: info.unpackedSize,
		files: info.entryCount,
		requireColdMs: await median(false),
		requireWithZodMs: await median(true),
	};
}
