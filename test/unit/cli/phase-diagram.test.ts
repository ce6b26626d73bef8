import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { labelComplexity, simclrGain } from '../../../cli/plots/label-complexity.ts';
import { phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { logEdges } from '../../../cli/plots/plot-axes.ts';
import { renderSvg, svgToPng } from '../../../cli/plots/render.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { loadSpecFile } from '../../../infra/spec-file.ts';
import { lawGrid, simclrGrid, supervisedAt63, supervisedGrid } from '../../helpers/paper-grid.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('label complexity and SimCLR gain', () => {
  it('reads the fewest labels reaching error <= 0.05 per SNR', () => {
    const curve = labelComplexity(supervisedGrid()).filter((p) => p.series === 'supervised');
    const at = (snr: number) => curve.find((p) => p.snr === snr)?.labels_needed;
    assert.equal(at(1.0), 4);
    assert.equal(at(0.215), 256);
    assert.equal(at(0.1), undefined);
  });
  it('computes the gain against supervised training at the same labels and SNR', () => {
    const gains = simclrGain([...supervisedAt63(), ...simclrGrid()]);
    const g = gains.find((x) => x.n_labels === 4 && x.n_unlabeled === 400 && x.snr === 0.2)!;
    assert.equal(g.gain, 0.5);
    const none = gains.find((x) => x.n_labels === 16 && x.n_unlabeled === 25 && x.snr === 0.05)!;
    assert.ok(Math.abs(none.gain) < 0.02);
  });
});

describe('phase-diagram spec', () => {
  it('places cell edges at geometric midpoints', () => {
    const [a, b] = logEdges([1, 4]);
    assert.deepEqual([a!.lo, a!.hi, b!.lo, b!.hi], [0.5, 2, 2, 8]);
  });
  it('has one heatmap block per method, then gain + label-complexity panels with both methods', () => {
    const one = phaseDiagramSpec(supervisedGrid(), { text: 'sup' }) as unknown as {
      vconcat: { concat: unknown[] }[];
    };
    assert.equal(one.vconcat.length, 1);
    assert.equal(one.vconcat[0]!.concat.length, 1);
    const both = phaseDiagramSpec([...supervisedAt63(), ...simclrGrid()], { text: 'both' }) as unknown as {
      vconcat: { concat: { title: { text: string } }[] }[];
    };
    assert.equal(both.vconcat.length, 3);
    assert.deepEqual(
      both.vconcat[2]!.concat.map((p) => p.title.text),
      ['SimCLR gain, n_labels=4', 'SimCLR gain, n_labels=16', 'Label complexity'],
    );
  });
  it('renders an SVG that parses as XML and a PNG with a valid signature', async () => {
    const svg = await renderSvg(
      phaseDiagramSpec([...supervisedGrid(), ...simclrGrid()], { text: 'both methods' }),
    );
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /<svg[^>]+width="\d+"/);
    const png = svgToPng(svg, 1);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const width = png.readUInt32BE(16);
    assert.equal(width, Number(/<svg[^>]+width="(\d+)"/.exec(svg)![1]));
  });
});

// Text of every axis-label and legend-label group of an SVG, in drawing order, with each label's opacity.
function labelGroups(
  svg: string,
  role: 'axis-label' | 'legend-label',
): { text: string; opacity: string }[][] {
  const groups = svg.matchAll(new RegExp(`<g class="mark-text role-${role}"[^>]*>(.*?)</g>`, 'g'));
  return [...groups].map((g) =>
    [...g[1]!.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((t) => ({
      text: t[2]!,
      opacity: /opacity="([\d.]+)"/.exec(t[1]!)?.[1] ?? '1',
    })),
  );
}
const svgWidth = (svg: string): number => Number(/<svg[^>]+width="([\d.]+)"/.exec(svg)![1]);

describe('phase-diagram figure (SVG)', async () => {
  const demo = await loadSpecFile(new URL('../../../examples/demo.yaml', import.meta.url).pathname);
  const supervised = lawGrid(
    expandCells(demo).filter((c) => c.params.method === 'supervised'),
    3,
    2,
  );
  it('gives every grid value a visible tick label, 0.077 of the demo grid included', async () => {
    const svg = await renderSvg(phaseDiagramSpec(supervised, { text: 'demo' }));
    const [x, y] = labelGroups(svg, 'axis-label');
    assert.deepEqual(
      x!.map((l) => l.text),
      ['0.05', '0.077', '0.12', '0.18', '0.28', '0.42', '0.65', '1'],
    );
    assert.deepEqual(
      y!.map((l) => l.text),
      ['4', '16', '64', '256'],
    );
    for (const label of [...x!, ...y!]) assert.equal(label.opacity, '1', `tick ${label.text} is hidden`);
  });
  it('sorts the label-complexity legend by n0 as a number', async () => {
    const svg = await renderSvg(phaseDiagramSpec([...supervisedAt63(), ...simclrGrid()], { text: 'both' }));
    const labels = labelGroups(svg, 'legend-label').flatMap((g) => g.map((l) => l.text));
    const series = labels.filter((t) => t.startsWith('SimCLR'));
    assert.deepEqual(series, [
      'SimCLR, n0 = 25',
      'SimCLR, n0 = 100',
      'SimCLR, n0 = 400',
      'SimCLR, n0 = 1600',
    ]);
  });
  it('draws coinciding label-complexity series apart, each with its own dash', async () => {
    const spec = phaseDiagramSpec([...supervisedAt63(), ...simclrGrid()], { text: 'both' }) as unknown as {
      vconcat: {
        concat: {
          title: { text: string };
          data?: { values: { series: string; snr: number; y: number }[] };
        }[];
      }[];
    };
    const curves = spec.vconcat.at(-1)!.concat.find((p) => p.title.text === 'Label complexity')!.data!.values;
    const at02 = curves.filter((c) => c.snr === 0.2);
    assert.ok(at02.length >= 3, 'several series need 4 labels at SNR 0.2');
    assert.equal(new Set(at02.map((c) => c.y)).size, at02.length, 'each series is drawn at its own height');
    const svg = await renderSvg(phaseDiagramSpec([...supervisedAt63(), ...simclrGrid()], { text: 'both' }));
    const lines = svg.match(/<g class="mark-line role-mark[^"]*concat_2_concat_2[^"]*"[^>]*>(.*?)<\/g>/)![1]!;
    const dashes = [...lines.matchAll(/<path[^>]*?(?:stroke-dasharray="([^"]*)")?[^>]*>/g)].map(
      (m) => m[1] ?? 'solid',
    );
    assert.equal(new Set(dashes).size, dashes.length, `dashes ${dashes.join(' | ')}`);
  });
  it('sizes a single-panel figure to its panel, however long the title', async () => {
    const short = await renderSvg(phaseDiagramSpec(supervised, { text: 'a' }));
    const long = await renderSvg(
      phaseDiagramSpec(supervised, {
        text: 'kou23-label-noise with a much longer name than the panel is wide',
        subtitle: 'kou23-label-noise-20261130T123456Z-1a2b3c4d',
      }),
    );
    assert.ok(svgWidth(short) < 560, `width ${svgWidth(short)}`);
    assert.equal(svgWidth(long), svgWidth(short));
  });
});
