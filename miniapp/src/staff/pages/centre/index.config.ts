export default definePageConfig({ navigationBarTitleText: '材料签收', enablePullDownRefresh: true });
