/**
 * Locale keys the engine and the conversation service show, whatever the flow: checked in every language at start-up,
 * like the keys flows refer to.
 */
export const ENGINE_KEYS = [
  "common:media_not_supported",
  "common:location_invalid",
  "common:button_expired",
  "common:empty_message",
  "common:not_understood",
  "common:help",
  "common:delete.confirm",
  "common:delete.yes",
  "common:delete.no",
  "common:delete.kept",
  "common:delete.done",
  "common:emergency.intro",
  "common:talk_to_facilitator",
  "common:prefer_not_to_say",
  "common:category_more",
  "common:list_separator",
  "common:share_location",
  "common:rate_limited",
  "common:edited_not_supported",
  "common:handoff_in_progress",
  "common:handoff_closed",
  "common:from_facilitator",
] as const;
