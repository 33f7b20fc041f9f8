#!/usr/bin/env node
// The `dalil` command: runs the TypeScript CLI through tsx, so no build step is needed after `npm install`.
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
