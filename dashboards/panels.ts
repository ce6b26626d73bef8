import * as common from '@grafana/grafana-foundation-sdk/common';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as trend from '@grafana/grafana-foundation-sdk/trend';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './datasource.ts';
import type { PanelQuery } from './panel-query.ts';
import { PostgresQueryBuilder } from './postgres-query.ts';

export interface Placement {
  w: number;
  h: number;
}

// The builders' default filter hides cells <= 1e-9, i.e. every zero-error cell of a phase diagram.
// Grafana fills a missing bound from its own default, so the bound is set below any metric instead.
export const KEEP_ALL_VALUES = -1e9;
export const COLOR_STEPS = 64;

// Long rows (x, y, value) -> one row per x with one column per y level, x numeric and sorted: the
// wide shape a heatmap reads without calculation. The query names its x and y columns.
export interface HeatmapFields {
  x: string;
  y: string;
}
const SIZE_BY_SNR: HeatmapFields = { x: 'n', y: 'snr' };

export function toHeatmapRows({ x, y }: HeatmapFields): dashboard.DataTransformerConfig[] {
  const pivoted = `${x}\\${y}`;
  return [
    {
      id: 'groupingToMatrix',
      options: { columnField: y, rowField: x, valueField: 'value', emptyValue: 'null' },
    },
    {
      id: 'convertFieldType',
      options: { conversions: [{ targetField: pivoted, destinationType: 'number' }], fields: {} },
    },
    { id: 'organize', options: { renameByName: { [pivoted]: x } } },
    { id: 'sortBy', options: { sort: [{ field: x }] } },
  ];
}

export function heatmapPanel(
  title: string,
  query: PanelQuery,
  opts: {
    description: string;
    scheme: string;
    min?: number;
    max?: number;
    unit?: string;
    fields?: HeatmapFields;
    yLabel?: string;
  } & Placement,
): heatmap.PanelBuilder {
  const color = new heatmap.HeatmapColorOptionsBuilder()
    .mode(heatmap.HeatmapColorMode.Scheme)
    .scheme(opts.scheme)
    .scale(heatmap.HeatmapColorScale.Linear)
    .steps(COLOR_STEPS)
    .exponent(0.5);
  if (opts.min !== undefined) color.min(opts.min);
  if (opts.max !== undefined) color.max(opts.max);
  return new heatmap.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .transformations(toHeatmapRows(opts.fields ?? SIZE_BY_SNR))
    .calculate(false)
    .rowsFrame(
      new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Unknown).value('value'),
    )
    .color(color)
    .filterValues(new heatmap.FilterValueRangeBuilder().le(KEEP_ALL_VALUES))
    .yAxis(new heatmap.YAxisConfigBuilder().axisLabel(opts.yLabel ?? 'SNR'))
    .cellValues(new heatmap.CellValuesBuilder().unit(opts.unit ?? 'none').decimals(3))
    .showValue(common.VisibilityMode.Auto)
    .showLegend()
    .span(opts.w)
    .height(opts.h);
}

// The matrix-table alternative: same long rows, pivoted, cells coloured by value. Works for irregular
// grids where a heatmap's even spacing would mislead.
export function matrixTablePanel(
  title: string,
  query: PanelQuery,
  opts: {
    description: string;
    color: dashboard.FieldColorModeId;
    min?: number;
    max?: number;
    fields?: HeatmapFields;
  } & Placement,
): table.PanelBuilder {
  const fields = opts.fields ?? SIZE_BY_SNR;
  const panel = new table.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .transformations(toHeatmapRows(fields))
    .cellOptions({
      type: common.TableCellDisplayMode.ColorBackground,
      mode: common.TableCellBackgroundDisplayMode.Basic,
    })
    .colorScheme(new dashboard.FieldColorBuilder().mode(opts.color))
    .decimals(3)
    .overrideByName(fields.x, [
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.Auto } },
    ])
    .span(opts.w)
    .height(opts.h);
  if (opts.min !== undefined) panel.min(opts.min);
  if (opts.max !== undefined) panel.max(opts.max);
  return panel;
}

export function tablePanel(
  title: string,
  query: PanelQuery,
  opts: { description: string } & Placement,
): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .filterable(true)
    .span(opts.w)
    .height(opts.h);
}

// Fields a curve panel draws as larger points of their own colour, no line: they repeat some points
// of a curve (null elsewhere) to mark them on it.
const MARKER = { size: 11, color: 'orange' } as const;

// A line over a numeric x field (not time): boundary curves and label-complexity curves.
export function curvePanel(
  title: string,
  query: PanelQuery,
  opts: { description: string; xField: string; logY?: boolean; markers?: string[] } & Placement,
): trend.PanelBuilder {
  const panel = new trend.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .xField(opts.xField)
    .showPoints(common.VisibilityMode.Always)
    .pointSize(6)
    .spanNulls(true)
    .span(opts.w)
    .height(opts.h);
  for (const field of opts.markers ?? []) {
    panel.overrideByName(field, [
      { id: 'custom.drawStyle', value: common.GraphDrawStyle.Points },
      { id: 'custom.showPoints', value: common.VisibilityMode.Always },
      { id: 'custom.pointSize', value: MARKER.size },
      { id: 'color', value: { mode: dashboard.FieldColorModeId.Fixed, fixedColor: MARKER.color } },
    ]);
  }
  if (opts.logY) {
    panel.scaleDistribution(
      new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(2),
    );
  }
  return panel;
}

export function timeseriesPanel(
  title: string,
  query: PanelQuery,
  opts: { description: string; unit: string } & Placement,
): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .unit(opts.unit)
    .span(opts.w)
    .height(opts.h);
}

export function statPanel(
  title: string,
  query: PanelQuery,
  opts: { description: string; unit: string; decimals?: number } & Placement,
): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(opts.description)
    .datasource(datasourceRef)
    .withTarget(new PostgresQueryBuilder(query))
    .unit(opts.unit)
    .decimals(opts.decimals ?? 1)
    .span(opts.w)
    .height(opts.h);
}
