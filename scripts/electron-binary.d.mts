// Types of electron-binary.mjs for the TypeScript tests that import it.
export declare const NO_BINARY_REASON: string;

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export declare function findElectronBinary(options?: { electronDir?: string; env?: NodeJS.ProcessEnv }): ElectronBinary;
