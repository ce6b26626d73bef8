import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './datasource.ts';

export function queryVariable(name: string, label: string, sql: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(datasourceRef)
    .query(sql)
    .definition(sql)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.Disabled);
}

// Fixed choices, no free text (they are pasted into SQL); `initial` (else the first) is selected when
// the dashboard opens.
export function customVariable(
  name: string,
  label: string,
  values: readonly string[],
  initial: string = values[0]!,
): dashboard.CustomVariableBuilder {
  if (!values.includes(initial)) throw new Error(`variable ${name}: ${initial} is not one of its values`);
  const options = values.map((v) => ({ text: v, value: v, selected: v === initial }));
  return new dashboard.CustomVariableBuilder(name)
    .label(label)
    .values(values.join(','))
    .options(options)
    .allowCustomValue(false)
    .current({ text: initial, value: initial });
}
