// Types for build-preload.mjs, which the preload test imports.
export const PRELOAD_OUTPUT: string;
export function buildPreload(outFile?: string): Promise<string>;
