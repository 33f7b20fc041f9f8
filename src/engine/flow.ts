import type { FlowStep } from "./steps/index.js";

export type { FlowStep };

/** A flow as loaded: its steps in file order and by id. */
export interface Flow {
  id: string;
  /** The file it came from, for error messages. */
  file: string;
  /** The first step of a new conversation. */
  start: string;
  /** Where "menu", "0" and "new request" lead. */
  menu: string;
  steps: readonly FlowStep[];
  byId: ReadonlyMap<string, FlowStep>;
}

/** Step ids are short and readable: they appear in choice ids, which Telegram limits to 64 bytes. */
export const STEP_ID = /^[a-z][a-z0-9_]{0,31}$/;
/** Option ids: codes such as `female`, `18-59`, `mre_returnee`. */
export const OPTION_ID = /^[a-z0-9][a-z0-9_+-]{0,23}$/;
