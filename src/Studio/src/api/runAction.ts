import { toApiError, type ApiError } from './problem';

/**
 * What every page does with a button the user pressed: clear the last error, run the action, then what follows it
 * (usually reloading the page's data); a refusal becomes the page's error, shown by its ErrorBanner.
 */
export async function runAction(action: () => Promise<unknown>, then: () => unknown, setError: (error: ApiError | null) => void): Promise<void> {
  try {
    setError(null);
    await action();
    await then();
  } catch (e) {
    setError(toApiError(e));
  }
}
