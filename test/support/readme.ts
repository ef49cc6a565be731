/**
 * The README's heading ids as GitHub and npm render them (lower case, punctuation dropped, spaces to hyphens):
 * the anchors the nodes' documentation links may point at. scripts/release-check.mjs applies the same rule
 * before a release.
 */
import fs from 'node:fs';
import path from 'node:path';

const README = path.resolve(__dirname, '..', '..', 'README.md');

export function readmeHeadingIds(): Set<string> {
	return new Set(
		fs
			.readFileSync(README, 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) =>
				line
					.replace(/^#+ /, '')
					.trim()
					.toLowerCase()
					.replace(/[^\p{L}\p{N} _-]/gu, '')
					.replace(/ /g, '-'),
			),
	);
}
