/** The routing language's globs are the shared matcher (linear time; libs/util/src/glob.ts). */
export { compileGlob, compileGlobs, type StringTest } from '@falconer/util';
