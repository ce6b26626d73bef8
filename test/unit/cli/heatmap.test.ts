import type { GridPoint } from '../../../store/grid-points.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sliceBoundary } from '../../../cli/views/boundary-fit.ts';
import { slicesJson, renderHeatmap, renderSweepHeatmaps } from '../../../cli/views/heatmap.ts';
import { gridSlices } from '../../../cli/views/grid-slices.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { loadSpecFile } from '../../../infra/spec-file.ts';
import { lawGrid, simclrGrid, supervisedGrid } from '../../helpers/paper-grid.ts';

const lineFor = (text: string, row: string): string =>
  text.split('\n').find((l) => l.trimStart().startsWith(`${row} `))!;

const ERR = { metric: 'test_error' } as const;

describe('slices', () => {
  it('puts supervised first with label rows and one SimCLR slice per label count with n0 rows', () => {
    const slices = gridSlices([...simclrGrid(), ...supervisedGrid()], ERR);
    assert.deepEqual(
      slices.map((p) => [p.method, p.x.name, p.y.name, p.y.values]),
      [
        ['supervised', 'snr', 'n_labels', [4, 16, 64, 256]],
        ['simclr', 'snr', 'n_unlabeled', [25, 100, 400, 1600]],
        ['simclr', 'snr', 'n_unlabeled', [25, 100, 400, 1600]],
      ],
    );
    assert.match(slices[1]!.title, /n_labels=4/);
    assert.match(slices[2]!.title, /n_labels=16/);
    assert.equal(slices[0]!.theory?.exponent, 3);
    assert.equal(slices[1]!.theory?.exponent, 2);
  });
});

describe('boundary of the paper-spec 6.1 table', () => {
  const [slice] = gridSlices(supervisedGrid(), ERR);
  const boundary = sliceBoundary(slice!);
  it('finds SNR* in the column gap where each row turns benign', () => {
    const star = new Map(boundary.lines.map((r) => [r.at, r.crossing]));
    assert.ok(star.get(4)! > 0.599 && star.get(4)! < 0.774, `n=4: ${star.get(4)}`);
    assert.ok(star.get(16)! > 0.359 && star.get(16)! < 0.464, `n=16: ${star.get(16)}`);
    assert.ok(star.get(256)! > 0.167 && star.get(256)! < 0.215, `n=256: ${star.get(256)}`);
  });
  it('fits a slope near the calibrated -0.29 and a theory constant of a few units', () => {
    assert.ok(boundary.slope! < -0.15 && boundary.slope! > -0.5, `slope ${boundary.slope}`);
    assert.ok(Math.abs(boundary.theorySlope! + 1 / 3) < 1e-12);
    assert.ok(boundary.c! > 0.5 && boundary.c! < 5, `c ${boundary.c}`);
  });
});

describe('terminal heatmap', () => {
  const [slice] = gridSlices(supervisedGrid(), ERR);
  const text = renderHeatmap(slice!, sliceBoundary(slice!), { color: false });
  it('reads harmful at low SNR and small n, benign at high SNR and large n', () => {
    const top = lineFor(text, '256').replace(/snr\*.*/, '');
    const bottom = lineFor(text, '4').replace(/snr\*.*/, '');
    assert.equal(
      top
        .trim()
        .split(/[\s│]+/)
        .at(-1),
      '.00',
    );
    assert.equal(bottom.trim().split(/[\s│]+/)[1], '.49');
  });
  it('marks the boundary before the first benign column of each row', () => {
    assert.match(lineFor(text, '256'), /\.52│ \.04/);
    assert.match(lineFor(text, '4'), /\.26│ \.00/);
  });
  it('prints the fitted slope beside the theory', () => {
    assert.match(text, /log-log slope of SNR\* vs n_labels: -0\.\d+ \(R² [\d.]+\), theory -1\/3 = -0\.33/);
  });
  it('lays the largest n on top and the SNR header left to right', () => {
    const lines = text.split('\n');
    assert.match(lines[1]!, /\.10\s+\.13.*1$/);
    assert.ok(
      lines.findIndex((l) => l.trimStart().startsWith('256 ')) <
        lines.findIndex((l) => l.trimStart().startsWith('4 ')),
    );
  });
  it('colours cells only when asked', () => {
    const ESC = String.fromCharCode(27);
    assert.ok(!text.includes(ESC));
    assert.ok(renderHeatmap(slice!, sliceBoundary(slice!), { color: true }).includes(`${ESC}[48;5;`));
  });
});

describe('theory line of the label-noise example (q = 1, paper-spec 4.2)', async () => {
  const spec = await loadSpecFile(
    new URL('../../../examples/kou23-label-noise.yaml', import.meta.url).pathname,
  );
  const points = lawGrid(expandCells(spec), 4, 0.01, spec.fixed.p ?? 0);
  it('has theory slope -1/4, and the fit to a grid on that law agrees', () => {
    const [slice] = slicesJson(points) as { boundary: { theory_slope: number; slope: number } }[];
    assert.equal(slice!.boundary.theory_slope, -0.25);
    assert.ok(Math.abs(slice!.boundary.slope + 0.25) < 0.05, `fitted ${slice!.boundary.slope}`);
  });
  it('prints -1/4 with its source beside the fitted slope', () => {
    assert.match(
      renderSweepHeatmaps(points, { color: false }),
      /theory -1\/4 = -0\.25 \(n·SNR⁴ = c \[KOU23\]\)/,
    );
  });
  it('draws no theory line where no paper gives one (q = 2)', () => {
    const q2 = points.map((pt) => ({ ...pt, params: { ...pt.params, q: 2 } }) as GridPoint);
    const [slice] = slicesJson(q2) as { boundary: { theory_slope: number | null; c: number | null } }[];
    assert.equal(slice!.boundary.theory_slope, null);
    assert.equal(slice!.boundary.c, null);
    assert.match(renderSweepHeatmaps(q2, { color: false }), /no theory line for this panel/);
  });
});
