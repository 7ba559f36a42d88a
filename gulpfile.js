const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n loads the node's icons from next to the
// compiled files, so copy the SVGs (light and dark) into dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	),
);
