export default definePageConfig({ navigationBarTitleText: '扫码补寄（替你跑）' });
