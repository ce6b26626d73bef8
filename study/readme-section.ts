export const BEGIN_MARKER =
  '<!-- study:simclr begin: written by npm run study:simclr, do not edit by hand -->';
export const END_MARKER = '<!-- study:simclr end -->';

/** The README with the text between the study's markers replaced; an error if they are missing. */
export function replaceSection(readme: string, body: string): string {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (begin < 0 || end < begin) {
    throw new Error(
      `the README has no "${BEGIN_MARKER}" ... "${END_MARKER}" pair to write the study between`,
    );
  }
  return `${readme.slice(0, begin + BEGIN_MARKER.length)}\n\n${body.trim()}\n\n${readme.slice(end)}`;
}
