import { Axis, Canvas, Chart, jsx as f2Element, Interval, Legend } from '@antv/f2';
import { Canvas as TaroCanvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/** One bar: its category (x), its value (y) and, for grouped bars, which series it belongs to. */
export interface Bar {
  x: string;
  y: number;
  series?: string;
}

// F2's element factory (what its JSX compiles to), typed loosely: its generic component types don't fit jsx().
const jsx = f2Element as unknown as (type: unknown, props: Record<string, unknown>) => unknown;

let serial = 0;
const HEIGHT = 220;

interface Surface {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
  pixelRatio: number;
}

/**
 * The drawing surface of a Taro <Canvas type="2d">: in the mini-program its node from a selector query (the
 * 2d canvas API), in H5 the <canvas> element Taro renders inside its host element. Sized for the screen's
 * pixel ratio so bars are sharp on a phone and on a desk monitor alike.
 */
function surfaceOf(id: string): Promise<Surface | undefined> {
  const pixelRatio = Taro.getSystemInfoSync?.().pixelRatio ?? 1;
  if (process.env.TARO_ENV === 'h5') {
    const host = document.getElementById(id);
    const el = host instanceof HTMLCanvasElement ? host : host?.querySelector('canvas');
    const context = el?.getContext('2d');
    if (!el || !context) return Promise.resolve(undefined);
    const width = el.clientWidth || el.parentElement?.clientWidth || 320;
    el.width = width * pixelRatio;
    el.height = HEIGHT * pixelRatio;
    return Promise.resolve({ context, width, height: HEIGHT, pixelRatio });
  }
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((res) => {
        const found = res?.[0] as { node?: Taro.Canvas; width: number; height: number } | undefined;
        if (!found?.node) return resolve(undefined);
        const node = found.node;
        node.width = found.width * pixelRatio;
        node.height = found.height * pixelRatio;
        resolve({
          context: node.getContext('2d') as CanvasRenderingContext2D,
          width: found.width,
          height: found.height,
          pixelRatio,
        });
      });
  });
}

/**
 * A bar chart drawn with F2 (AntV's mobile charts; one engine for the mini-program's 2d canvas and H5's
 * canvas). `bars` with a series draw grouped bars with a legend. The figures page shows the same numbers in a
 * table beside it, so the chart adds no text a screen reader needs.
 */
export function FigureChart({ bars, name, unit }: { bars: Bar[]; name: string; unit?: string }) {
  const id = useRef(`figure-chart-${++serial}`).current;
  const grouped = bars.some((b) => b.series);
  useEffect(() => {
    let canvas: Canvas | undefined;
    let cancelled = false;
    // After the canvas is on screen (Taro renders the mini-program's nodes a tick later).
    Taro.nextTick(async () => {
      const surface = await surfaceOf(id).catch(() => undefined);
      if (!surface || cancelled) return;
      const chart = jsx(Chart, {
        data: bars,
        scale: { y: { min: 0, nice: true, alias: unit } },
        children: [
          jsx(Axis, { field: 'x' }),
          jsx(Axis, { field: 'y' }),
          jsx(Interval, {
            x: 'x',
            y: 'y',
            ...(grouped ? { color: 'series', adjust: 'dodge' } : { color: '#1677ff' }),
          }),
          grouped ? jsx(Legend, { position: 'top' }) : null,
        ],
      });
      canvas = new Canvas({
        context: surface.context,
        pixelRatio: surface.pixelRatio,
        width: surface.width,
        height: surface.height,
        animate: false,
        children: chart,
      });
      await canvas.render();
    });
    return () => {
      cancelled = true;
      canvas?.destroy();
    };
  }, [bars, grouped, id, unit]);
  return (
    <View className="figure-chart" aria-hidden data-chart={name} data-bars={bars.length}>
      <TaroCanvas
        type="2d"
        id={id}
        canvasId={id}
        className="figure-chart__canvas"
        style={{ height: `${HEIGHT}px` }}
      />
    </View>
  );
}
