// Entry point of the main process bundle (scripts/build-electron.mjs → dist/electron/main.js).
import { startApp } from './lifecycle.js';

startApp();
