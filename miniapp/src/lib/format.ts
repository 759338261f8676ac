/** Wording shared by the catalogue and outlet pages. */

/** 承诺时限: 0 means done on the spot. */
export const promisedText = (workingDays: number) =>
  workingDays === 0 ? '当场办结' : `${workingDays} 个工作日`;

/** 350 米, 1.2 公里 */
export const distanceText = (metres: number) =>
  metres < 1000 ? `${Math.round(metres / 10) * 10} 米` : `${(metres / 1000).toFixed(1)} 公里`;
