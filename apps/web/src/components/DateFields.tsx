// Ant Design date pickers speaking the API's strings: a calendar date 'YYYY-MM-DD' (valid time) and an
// instant (ISO UTC, recording time) typed and shown in Beijing time whatever the browser's zone.
import { DatePicker } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { beijingToIso, isoToBeijing } from '../lib/time';

dayjs.extend(customParseFormat);

const DATE = 'YYYY-MM-DD';
const INSTANT = 'YYYY-MM-DD HH:mm:ss.SSS';
const INSTANT_IN = ['YYYY-MM-DD HH:mm:ss.SSS', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DDTHH:mm:ss.SSS', 'YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DDTHH:mm'];

interface FieldProps {
  value?: string;
  onChange?(v: string): void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  disabled?: boolean;
}

/** A calendar date: value 'YYYY-MM-DD' or ''. Typing the date and pressing Enter works as well as the calendar. */
export function DateField({ value, onChange, placeholder = '年-月-日', allowClear = true, ...rest }: FieldProps) {
  const d = value ? dayjs(value, DATE, true) : null;
  return (
    <DatePicker
      {...rest}
      format={DATE}
      value={d && d.isValid() ? d : null}
      placeholder={placeholder}
      allowClear={allowClear}
      onChange={(x: Dayjs | null) => onChange?.(x ? x.format(DATE) : '')}
    />
  );
}

/** An instant in Beijing time: value ISO UTC or ''. Milliseconds count (two recordings can be 1 ms apart). */
export function InstantField({ value, onChange, placeholder = '年-月-日 时:分:秒.毫秒（北京时间）', allowClear = true, style, ...rest }: FieldProps) {
  const local = value ? dayjs(isoToBeijing(value), INSTANT_IN, true) : null;
  return (
    <DatePicker
      {...rest}
      style={{ minWidth: 240, ...style }}
      showTime={{ format: 'HH:mm:ss.SSS', showMillisecond: true } as any}
      format={INSTANT_IN}
      value={local && local.isValid() ? local : null}
      placeholder={placeholder}
      allowClear={allowClear}
      onChange={(x: Dayjs | null) => onChange?.(x ? beijingToIso(x.format(INSTANT)) : '')}
    />
  );
}
