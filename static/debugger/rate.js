/*
 * The arrival rate: live events per second over the last seconds, shown as
 * a number and a small bar chart of the last 30 seconds.
 */
import { el, formatCount } from "./dom.js";

const HISTORY_SECONDS = 30;

export class RateMeter {
  constructor(label, chart) {
    this.label = label;
    this.chart = chart;
    this.current = 0;
    this.history = new Array(HISTORY_SECONDS).fill(0);
    this.bars = this.history.map(() => el("span", { className: "bar" }));
    chart.replaceChildren(...this.bars);
    setInterval(() => this.tick(), 1000);
    this.render();
  }

  count(events) {
    this.current += events;
  }

  tick() {
    this.history.push(this.current);
    this.history.shift();
    this.current = 0;
    this.render();
  }

  render() {
    const latest = this.history[this.history.length - 1];
    this.label.textContent = formatCount(latest) + " events/s";
    const peak = Math.max(1, ...this.history);
    this.history.forEach((value, index) => {
      this.bars[index].style.height = Math.round((value / peak) * 100) + "%";
    });
    this.chart.title = "Events per second, last " + HISTORY_SECONDS + " s (peak " + formatCount(Math.max(...this.history)) + ")";
  }
}
