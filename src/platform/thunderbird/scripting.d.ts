/**
 * Thunderbird's MV3 `scripting` API as far as Sealpost uses it: a style sheet in a compose
 * tab's editor (Thunderbird 128+, permissions `scripting` and `compose`). It is missing from
 * @types/thunderbird-webext-browser 127, which predates Thunderbird 128; documented at
 * https://webextension-api.thunderbird.net/en/mv3/scripting.html.
 */
declare namespace messenger.scripting {
  interface InjectionTarget {
    tabId: number;
  }
  interface CSSInjection {
    target: InjectionTarget;
    css: string;
  }
  function insertCSS(injection: CSSInjection): Promise<void>;
  function removeCSS(injection: CSSInjection): Promise<void>;
}
