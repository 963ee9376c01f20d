// Below a page's query form: a prompt until asked, then the error, the answer, or a line saying it is on its way.
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import type { Loaded } from '../lib/use-load';
import { ErrorNotice } from './Feedback';

export interface ResultAreaProps<T> {
  asked: boolean;
  loaded: Loaded<T>;
  /** What to ask for before the first query. */
  prompt?: string;
  waiting?: string;
  /** Hide the previous answer while the next one loads (views that must never mix two answers). */
  hideStale?: boolean;
  children(data: T): ReactNode;
}

export function ResultArea<T>({ asked, loaded, prompt = '请选择行政区划和日期。', waiting = '载入中…', hideStale = false, children }: ResultAreaProps<T>) {
  return (
    <div className="result" aria-live="polite">
      {!asked ? (
        <Alert type="info" showIcon title={prompt} />
      ) : loaded.error ? (
        <ErrorNotice error={loaded.error} />
      ) : loaded.data !== undefined && !(hideStale && loaded.loading) ? (
        children(loaded.data)
      ) : (
        <p className="muted">{waiting}</p>
      )}
    </div>
  );
}
