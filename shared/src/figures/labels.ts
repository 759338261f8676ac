// No TypeBox here: the mini-program's figures page imports these labels, and TypeBox would come along.
/**
 * Supervisors' figures (统计): one period (Beijing dates, both ends included) and optionally one service centre.
 * One source for the BFF, its CSV export and the mini-program's charts.
 */

/** The longest period one request may cover (a year and a day, for a leap year's 1 Jan … 1 Jan). */
export const FIGURES_MAX_DAYS = 366;

/** Each stage a case goes through, as the time from one step to the next. */
export const figureStages = [
  'booking_visit',
  'visit_submission',
  'submission_acceptance',
  'acceptance_completion',
  'completion_delivery',
] as const;
export type FigureStage = (typeof figureStages)[number];
export const figureStageLabels: Record<FigureStage, string> = {
  booking_visit: '预约→上门',
  visit_submission: '上门→提交',
  submission_acceptance: '提交→受理',
  acceptance_completion: '受理→办结',
  completion_delivery: '办结→送达',
};

/** 替你跑: supplements sent by courier bag count beside the channels a case comes in by. */
export const BAG_SUPPLEMENT_LABEL = '替你跑补正';

/** Seconds as hours with one decimal (the table and the charts show stage times in hours). */
export const hoursOf = (seconds: number | null) =>
  seconds === null ? null : Math.round((seconds / 3600) * 10) / 10;

/** Fen as yuan with two decimals, e.g. 1200 → "12.00". */
export const yuanOf = (fen: number) => (fen / 100).toFixed(2);
