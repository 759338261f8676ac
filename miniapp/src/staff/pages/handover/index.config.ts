export default definePageConfig({ navigationBarTitleText: '材料封袋交接', enablePullDownRefresh: true });
