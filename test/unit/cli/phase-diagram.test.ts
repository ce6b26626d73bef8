import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { labelComplexity, simclrGain } from '../../../cli/plots/label-complexity.ts';
import { logEdges, phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { renderSvg, svgToPng } from '../../../cli/plots/render.ts';
import { simclrGrid, supervisedAt63, supervisedGrid } from './paper-grid.ts';

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
  it('has one heatmap row for a supervised sweep and gain + label-complexity panels with both methods', () => {
    const one = phaseDiagramSpec(supervisedGrid(), 'sup') as unknown as { vconcat: { concat: unknown[] }[] };
    assert.equal(one.vconcat.length, 1);
    assert.equal(one.vconcat[0]!.concat.length, 1);
    const both = phaseDiagramSpec([...supervisedAt63(), ...simclrGrid()], 'both') as unknown as {
      vconcat: { concat: { title: { text: string } }[] }[];
    };
    assert.equal(both.vconcat.length, 2);
    assert.deepEqual(
      both.vconcat[1]!.concat.map((p) => p.title.text),
      ['SimCLR gain, n_labels=4', 'SimCLR gain, n_labels=16', 'Label complexity'],
    );
  });
  it('renders an SVG that parses as XML and a PNG with a valid signature', async () => {
    const svg = await renderSvg(phaseDiagramSpec([...supervisedGrid(), ...simclrGrid()], 'both methods'));
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /<svg[^>]+width="\d+"/);
    const png = svgToPng(svg, 1);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const width = png.readUInt32BE(16);
    assert.equal(width, Number(/<svg[^>]+width="(\d+)"/.exec(svg)![1]));
  });
});
