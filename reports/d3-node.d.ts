// d3-node ships no types. This declares the small part faultline uses.
declare module 'd3-node' {
  import type * as D3 from 'd3';

  export interface D3NodeOptions {
    readonly selector?: string;
    readonly container?: string;
    readonly styles?: string;
  }

  export class D3Node {
    constructor(options?: D3NodeOptions);
    readonly d3: typeof D3;
    createSVG(width?: number, height?: number, attrs?: Readonly<Record<string, string | number>>): D3.Selection<SVGSVGElement, unknown, null, undefined>;
    svgString(): string;
  }
}
