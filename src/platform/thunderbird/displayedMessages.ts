/**
 * In MV3, `messageDisplay.onMessagesDisplayed` and `getDisplayedMessages` hand over a
 * `MessageList` (`{id, messages}`); the typings (Thunderbird 127, MV2) still say an array.
 * Both shapes are accepted here so callers get plain message ids.
 */
export function displayedMessageIds(
  displayed: messenger.messages.MessageHeader[] | { messages: messenger.messages.MessageHeader[] },
): number[] {
  const messages = Array.isArray(displayed) ? displayed : displayed.messages;
  return messages.map((message) => message.id);
}
