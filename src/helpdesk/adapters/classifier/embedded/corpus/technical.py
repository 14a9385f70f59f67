"""IT-support issues in depth (and a few of the other departments), each told three ways: Arabic only, Arabic with the English
technical terms people type (product and model names, "VPN", "switch", "toner"), and English
(the body of a ticket whose short title is Arabic).

(title, Arabic, mixed, English) per issue.
"""

from __future__ import annotations

from helpdesk.domain.taxonomy import Category as C

TECHNICAL: dict[C, list[tuple[str, str, str, str]]] = {
    C.NETWORK: [
        (
            "الشبكة الافتراضية لا تتصل من المنزل",
            "برنامج الشبكة الافتراضية الخاصة يفشل في الاتصال بشبكة الجهة عند العمل من المنزل",
            "الـ VPN ما يتصل من البيت، FortiClient يعطي خطأ عند الاتصال بشبكة الجهة",
            "The VPN client (FortiClient) fails to connect to the office network from home",
        ),
        (
            "المبدل في غرفة الخوادم متوقف",
            "المبدل الشبكي في غرفة الخوادم أضواؤه مطفأة وأجهزة الطابق بلا شبكة",
            "الـ switch في غرفة السيرفرات طافي والأجهزة في الدور كله بدون network",
            "The Cisco switch in the server room is down and the whole floor has no network",
        ),
        (
            "تعارض في عنوان الشبكة",
            "يظهر على الجهاز تعارض في عنوان الشبكة مع جهاز آخر ولا يتصل بالإنترنت",
            "يطلع IP conflict على الجهاز والـ IP 192.168.1.45 مستخدم من جهاز ثاني",
            "Windows reports an IP address conflict and the PC has no internet access",
        ),
        (
            "نقطة الوصول اللاسلكية في القاعة لا تعمل",
            "نقطة الوصول اللاسلكية في قاعة التدريب لا تبث والمتدربون بلا اتصال",
            "الـ access point في قاعة التدريب ما يطلع منه WiFi",
            "The wireless access point in the training room is not broadcasting any WiFi",
        ),
        (
            "المواقع لا تفتح بأسمائها",
            "المواقع لا تفتح بأسمائها لكنها تفتح بالأرقام ويبدو أن خادم الأسماء لا يستجيب",
            "المواقع ما تفتح بالاسم بس تفتح بالـ IP، شكله الـ DNS واقف",
            "Websites do not resolve by name but open by IP, the DNS server seems down",
        ),
        (
            "الجهاز لا يأخذ عنوان شبكة",
            "الجهاز لا يحصل على عنوان شبكة تلقائيًا ويظهر اتصال محدود",
            "الجهاز ما ياخذ IP من الـ DHCP ويطلع limited connectivity",
            "The laptop does not get an IP address from DHCP and shows limited connectivity",
        ),
        (
            "جدار الحماية يحجب نظام المورد",
            "جدار الحماية يمنع الوصول إلى بوابة المورد التي نحتاجها في عملنا اليومي",
            "الـ firewall حاجب موقع المورد ونحتاج فتح الـ port 443 له",
            "The firewall blocks the supplier portal we need, please open port 443 for it",
        ),
        (
            "فقدان الاتصال بالأنظمة عبر الشبكة اللاسلكية",
            "الاتصال اللاسلكي ينقطع كل عشر دقائق في الطابق الخامس",
            "الـ WiFi يفصل كل عشر دقائق في الدور الخامس والـ signal ضعيف",
            "WiFi drops every ten minutes on the fifth floor and the signal is weak",
        ),
        (
            "بطء الشبكة في الفرع",
            "الشبكة في الفرع بطيئة جدًا والوصول إلى الخوادم المركزية يستغرق دقائق",
            "الـ network في الفرع بطيء والـ ping للسيرفر المركزي عالي جدا",
            "The branch network is very slow and ping to the head office servers is very high",
        ),
        (
            "منفذ الشبكة في الجدار معطل",
            "منفذ الشبكة في مكتبي لا يعطي اتصالًا حتى مع كابل جديد",
            "الـ LAN port في مكتبي ما يشتغل حتى مع cable جديد",
            "The LAN wall port in my office gives no link even with a new cable",
        ),
    ],
    C.HARDWARE: [
        (
            "الحاسوب المحمول لا يشتغل",
            "الحاسوب المحمول لا يشتغل ولا يظهر أي ضوء عند الضغط على زر التشغيل",
            "اللابتوب Dell Latitude ما يشتغل ولا فيه أي light لما أضغط power",
            "My Dell Latitude laptop does not power on, no light when I press the power button",
        ),
        (
            "محطة الإرساء لا تعمل",
            "محطة الإرساء لا تشغل الشاشتين ولا لوحة المفاتيح",
            "الـ docking station ما تشغل الشاشتين ولا الـ keyboard",
            "The docking station does not drive my two monitors or the keyboard",
        ),
        (
            "الشاشة الخارجية لا تعرض",
            "الشاشة الخارجية لا تعرض أي صورة عند توصيلها بالحاسوب المحمول",
            "الـ monitor الخارجي مكتوب عليه No Signal لما أوصله باللابتوب بكيبل HDMI",
            "The external monitor shows No Signal when connected to the laptop over HDMI",
        ),
        (
            "جهاز العرض في القاعة معطل",
            "جهاز العرض في قاعة الاجتماعات لا يعرض الصورة من الحاسوب",
            "الـ projector في قاعة الاجتماعات ما يعرض من اللابتوب",
            "The projector in the meeting room does not display anything from the laptop",
        ),
        (
            "القرص الصلب يصدر صوتًا",
            "القرص الصلب يصدر صوت طقطقة والجهاز بطيء جدًا عند الإقلاع",
            "الـ hard disk يطلع صوت طقطقة والجهاز بطيء في الـ boot",
            "The hard drive makes clicking noises and the PC is very slow to boot",
        ),
        (
            "الجهاز يسخن ويطفئ",
            "الحاسوب المكتبي يسخن كثيرًا ثم يطفئ وحده",
            "الـ PC يسخن مرة ويطفي لحاله، شكلها المروحة",
            "The desktop PC overheats and shuts down by itself, the fan seems broken",
        ),
        (
            "بطارية الحاسوب المحمول منتفخة",
            "بطارية الحاسوب المحمول منتفخة ولوحة اللمس مرتفعة",
            "بطارية اللابتوب HP EliteBook منفوخة والـ touchpad طالع لفوق",
            "The battery of my HP EliteBook is swollen and the touchpad is lifting",
        ),
        (
            "طلب ذاكرة إضافية",
            "الجهاز يحتاج إلى ذاكرة عشوائية إضافية لأنه بطيء مع برامج العمل",
            "الجهاز يحتاج RAM زيادة، 8GB ما تكفي مع برامج الشغل",
            "My PC needs more RAM, 8GB is not enough for the work applications",
        ),
        (
            "الفأرة اللاسلكية لا تستجيب",
            "الفأرة اللاسلكية لا تستجيب رغم تغيير البطاريات",
            "الـ wireless mouse ما يستجيب حتى بعد ما غيرت البطاريات",
            "The wireless mouse does not respond even after changing the batteries",
        ),
        (
            "جهاز الهاتف الشبكي لا يعمل",
            "جهاز الهاتف المكتبي لا يعمل وشاشته مطفأة",
            "تلفون المكتب Cisco IP Phone شاشته طافية وما فيه خط",
            "My Cisco IP phone screen is blank and there is no dial tone",
        ),
    ],
    C.SOFTWARE: [
        (
            "نظام تخطيط الموارد يعطي خطأ",
            "نظام تخطيط موارد المؤسسة يظهر رسالة خطأ عند ترحيل أمر الشراء",
            "نظام SAP يطلع error لما أسوي post لأمر الشراء",
            "SAP shows an error message when I post the purchase order",
        ),
        (
            "برنامج الاجتماعات لا يفتح",
            "برنامج الاجتماعات المرئية يتوقف عند الفتح بعد التحديث",
            "الـ Teams يعلق عند الفتح من بعد الـ update",
            "Microsoft Teams freezes on start-up since the last update",
        ),
        (
            "تحديث النظام عالق",
            "تحديث نظام التشغيل عالق عند نسبة ثلاثين بالمئة منذ ساعة",
            "الـ Windows update واقف على 30% من ساعة",
            "Windows Update has been stuck at 30% for an hour",
        ),
        (
            "برنامج مكافحة الفيروسات ينبه",
            "برنامج مكافحة الفيروسات يظهر تنبيهًا بوجود ملف خبيث على الجهاز",
            "الـ antivirus يطلع alert إن فيه virus في ملف على الجهاز",
            "The antivirus raises an alert about a malicious file on my computer",
        ),
        (
            "ترخيص برنامج الجداول منتهي",
            "برنامج الجداول يطلب التفعيل ويقول إن الترخيص منتهي",
            "الـ Excel يطلب activation ويقول الـ license منتهية",
            "Excel asks for activation and says the Office license has expired",
        ),
        (
            "تثبيت برنامج التصميم",
            "أحتاج إلى تثبيت برنامج التصميم الهندسي على جهازي لمشروع جديد",
            "أحتاج install لبرنامج AutoCAD على جهازي لمشروع جديد",
            "I need AutoCAD installed on my workstation for a new project",
        ),
        (
            "المتصفح لا يفتح النظام الداخلي",
            "المتصفح يعرض صفحة بيضاء عند فتح النظام الداخلي بعد التحديث",
            "الـ Chrome يفتح صفحة بيضاء للنظام الداخلي بعد الـ update",
            "Chrome shows a blank page for the internal system after the update",
        ),
        (
            "مزامنة الملفات السحابية متوقفة",
            "مزامنة ملفات التخزين السحابي متوقفة والملفات لا تتحدث",
            "الـ OneDrive ما يسوي sync والملفات ما تتحدث",
            "OneDrive is not syncing and my files are out of date",
        ),
        (
            "النظام المحاسبي بطيء",
            "النظام المحاسبي بطيء جدًا عند إصدار التقارير ويتجمد أحيانًا",
            "نظام Oracle المالي بطيء في الـ reports ويعلق أحيانًا",
            "The Oracle financials application is very slow when running reports and sometimes hangs",
        ),
        (
            "ملفات العروض لا تفتح",
            "ملفات العروض التقديمية لا تفتح وتظهر رسالة أن الملف تالف",
            "ملفات الـ PowerPoint ما تفتح ويطلع إن الملف corrupted",
            "PowerPoint files will not open and say the file is corrupted",
        ),
    ],
    C.EMAIL: [
        (
            "برنامج البريد يطلب كلمة المرور باستمرار",
            "برنامج البريد يطلب كلمة المرور كل بضع دقائق ولا يحفظها",
            "الـ Outlook كل شوي يطلب الباسورد وما يحفظه",
            "Outlook keeps prompting for my password every few minutes",
        ),
        (
            "صندوق البريد ممتلئ",
            "صندوق البريد ممتلئ ولا أستطيع إرسال أو استقبال الرسائل",
            "الـ mailbox full وما أقدر أرسل ولا أستقبل emails",
            "My mailbox is full and I cannot send or receive emails",
        ),
        (
            "الرسائل ترجع بفشل التسليم",
            "الرسائل التي أرسلها إلى جهة خارجية ترجع برسالة فشل التسليم",
            "الإيميلات للجهات الخارجية ترجع بـ delivery failure",
            "Emails to external recipients bounce back with a delivery failure notice",
        ),
        (
            "البريد لا يتزامن على الجوال",
            "البريد الإلكتروني لا يتزامن على الهاتف المحمول منذ تغيير الجهاز",
            "الإيميل ما يسوي sync على الـ iPhone من غيرت الجوال",
            "Company email stopped syncing on my iPhone after I changed phones",
        ),
        (
            "إضافة صندوق بريد مشترك",
            "أحتاج إلى إضافة صندوق البريد المشترك للقسم إلى برنامج البريد",
            "أحتاج إضافة الـ shared mailbox حق القسم على الـ Outlook",
            "Please add the department shared mailbox to my Outlook",
        ),
        (
            "رسالة تصيد مشبوهة",
            "وصلتني رسالة مشبوهة تطلب تحديث بيانات الدخول عبر رابط",
            "وصلني email مشبوه phishing يطلب أحدث بياناتي من رابط",
            "I received a suspicious phishing email asking me to update my login through a link",
        ),
        (
            "الرد التلقائي لا يعمل",
            "الرد التلقائي على البريد لا يعمل رغم تفعيله قبل الإجازة",
            "الـ auto reply في الـ Outlook ما يشتغل مع إني فعلته",
            "The Outlook automatic reply (out of office) is not working although I turned it on",
        ),
        (
            "التقويم لا يعرض دعوات الاجتماعات",
            "تقويم البريد لا يعرض دعوات الاجتماعات المرسلة إلي",
            "الـ calendar في الـ Outlook ما يطلع فيه الـ meeting invites",
            "My Outlook calendar does not show the meeting invitations sent to me",
        ),
        (
            "لا أستطيع إرسال مرفق كبير",
            "لا أستطيع إرسال مرفق حجمه كبير عبر البريد الإلكتروني",
            "ما أقدر أرسل attachment حجمه 30MB على الإيميل",
            "I cannot send a 30MB attachment by email, it exceeds the size limit",
        ),
        (
            "توقيع البريد لا يظهر",
            "توقيع البريد الإلكتروني لا يظهر في الرسائل الجديدة",
            "الـ signature ما يطلع في الإيميلات الجديدة من الـ Outlook",
            "My email signature does not appear on new messages in Outlook",
        ),
    ],
    C.ACCOUNTS_ACCESS: [
        (
            "الحساب مقفل",
            "حسابي مقفل بعد عدة محاولات دخول ولا أستطيع الدخول إلى الجهاز",
            "الـ account مقفل بعد محاولات دخول غلط وما أقدر أدخل الجهاز",
            "My account is locked out after several failed attempts and I cannot log in",
        ),
        (
            "إعادة تعيين كلمة المرور",
            "أحتاج إلى إعادة تعيين كلمة المرور لأنها انتهت ولا تقبل الجديدة",
            "أبغى reset للباسورد لأنه expired وما يقبل الجديد",
            "I need a password reset, it expired and the new one is not accepted",
        ),
        (
            "رمز التحقق لا يصل",
            "رمز التحقق الثنائي لا يصل إلى هاتفي عند تسجيل الدخول",
            "الـ OTP ما يوصلني على الجوال لما أسجل دخول، الـ MFA واقف",
            "The MFA verification code never arrives on my phone when I sign in",
        ),
        (
            "صلاحية على مجلد مشترك",
            "أحتاج إلى صلاحية قراءة وتعديل على المجلد المشترك لقسمنا",
            "أحتاج permission قراءة وتعديل على الـ shared folder حق القسم",
            "I need read and write permission on our department shared folder",
        ),
        (
            "إنشاء حساب في الدليل للموظف الجديد",
            "موظف جديد يحتاج إلى حساب مستخدم في دليل الجهة وصلاحيات الأنظمة",
            "موظف جديد يحتاج user في الـ Active Directory وصلاحيات الأنظمة",
            "A new employee needs an Active Directory user account and system access",
        ),
        (
            "صلاحية في نظام تخطيط الموارد",
            "أحتاج إلى صلاحية اعتماد الطلبات في نظام تخطيط موارد المؤسسة",
            "أحتاج role اعتماد الطلبات في الـ SAP",
            "I need the approval role in SAP to approve requests",
        ),
        (
            "تعطيل حساب موظف مغادر",
            "غادر موظف الجهة ويجب تعطيل حسابه وسحب صلاحياته",
            "موظف ترك العمل ولازم disable للـ account وسحب الـ access",
            "An employee has left, please disable his account and remove his access",
        ),
        (
            "اسم المستخدم أو كلمة المرور غير صحيحة",
            "يظهر أن اسم المستخدم أو كلمة المرور غير صحيحة رغم أنها صحيحة",
            "يطلع invalid username or password مع إن الباسورد صح",
            "It says invalid username or password although my credentials are correct",
        ),
        (
            "صلاحية مدير على الجهاز",
            "أحتاج إلى صلاحية مدير على جهازي لتثبيت أداة مطلوبة في العمل",
            "أحتاج admin rights على جهازي عشان أثبت أداة للشغل",
            "I need local admin rights on my PC to install a tool for work",
        ),
        (
            "بطاقة الدخول لا تفتح الباب",
            "بطاقة الدخول الخاصة بي لا تفتح أبواب الطابق بعد تجديدها",
            "الـ access card ما تفتح أبواب الدور بعد ما جددتها",
            "My access card does not open the floor doors since it was renewed",
        ),
    ],
    C.PRINTING: [
        (
            "الطابعة تظهر انحشار ورق",
            "الطابعة في الطابق الثالث تظهر انحشار ورق ولا تطبع",
            "الطابعة HP LaserJet M404 في الدور الثالث تطلع Paper Jam وما تطبع",
            "The HP LaserJet M404 on the third floor shows a paper jam and will not print",
        ),
        (
            "حبر الطابعة انتهى",
            "حبر الطابعة الأسود انتهى ونحتاج إلى خرطوشة جديدة",
            "التونر خلص في طابعة Canon حقت القسم ونحتاج toner جديد",
            "The toner in the department Canon printer is empty, we need a new cartridge",
        ),
        (
            "الماسح الضوئي لا يرسل إلى البريد",
            "الماسح الضوئي في آلة التصوير لا يرسل الملفات الممسوحة إلى البريد",
            "الـ scanner في الـ Ricoh ما يرسل scan to email",
            "The Ricoh scanner does not send scans to email any more",
        ),
        (
            "آلة التصوير تطلب صيانة",
            "آلة التصوير متعددة الوظائف تظهر رسالة عطل وتطلب الصيانة",
            "آلة التصوير Xerox WorkCentre تطلع error code وتطلب service",
            "The Xerox WorkCentre copier shows an error code and asks for service",
        ),
        (
            "الطابعة غير متصلة",
            "الطابعة تظهر غير متصلة على جميع أجهزة القسم",
            "الطابعة تطلع offline على كل أجهزة القسم",
            "The printer shows as offline on every computer in the department",
        ),
        (
            "إضافة طابعة الشبكة",
            "أحتاج إلى تعريف طابعة الشبكة على جهازي الجديد",
            "أبغى أضيف الـ network printer على اللابتوب الجديد، الـ driver ناقص",
            "Please add the network printer to my new laptop, the driver is missing",
        ),
        (
            "الطباعة باهتة",
            "المطبوعات تخرج باهتة وفيها خطوط رغم تغيير الحبر",
            "الطباعة باهتة وفيها خطوط مع إننا غيرنا الـ toner",
            "Prints come out faded and streaky even after replacing the toner",
        ),
        (
            "أوامر الطباعة عالقة",
            "أوامر الطباعة عالقة في الطابور ولا يخرج شيء من الطابعة",
            "الـ print queue معلق وما يطلع شي من الطابعة",
            "Print jobs are stuck in the queue and nothing comes out of the printer",
        ),
        (
            "الطابعة الملونة تطبع بالأسود فقط",
            "الطابعة الملونة تطبع بالأسود فقط رغم اختيار الألوان",
            "الطابعة Epson الملونة تطبع black فقط حتى لو اخترت color",
            "The Epson colour printer only prints in black even when colour is selected",
        ),
        (
            "الطابعة لا تطبع على الوجهين",
            "الطابعة لا تطبع على وجهي الورقة في طابعة الطابق الأول",
            "طابعة Kyocera في الدور الأول ما تطبع duplex",
            "The Kyocera printer on the first floor will not print double-sided",
        ),
    ],
    C.HR: [
        (
            "رصيد الإجازات في النظام",
            "رصيد إجازاتي في نظام الموارد البشرية أقل من المستحق",
            "رصيد الـ leave في نظام HR أقل من اللي أستحقه",
            "My annual leave balance in the HR system is lower than it should be",
        ),
        (
            "تسجيل الحضور بالبصمة",
            "جهاز البصمة لم يسجل حضوري صباح اليوم وأحتاج إلى تصحيح السجل",
            "جهاز البصمة ما سجل حضوري اليوم، أحتاج تصحيح في الـ attendance",
            "The fingerprint machine did not record my attendance this morning, please correct it",
        ),
        (
            "طلب دورة تدريبية",
            "أرغب في التسجيل في دورة تدريبية عن إدارة المشاريع",
            "أبغى أسجل في course تدريبي عن PMP",
            "I would like to enrol in a project management (PMP) training course",
        ),
        (
            "خطاب تعريف",
            "أحتاج إلى خطاب تعريف بالعمل لتقديمه إلى جهة حكومية",
            "أحتاج letter تعريف بالعمل لجهة حكومية",
            "I need an employment letter to submit to a government office",
        ),
    ],
    C.FINANCE: [
        (
            "الراتب لم يصرف",
            "لم يصرف راتب هذا الشهر في حسابي البنكي حتى الآن",
            "الراتب ما نزل في حسابي البنكي لهذا الشهر",
            "My salary for this month has not been paid into my bank account",
        ),
        (
            "استرداد مصروفات سفر",
            "أريد استرداد مصروفات رحلة العمل مع الفواتير",
            "أبغى reimbursement لمصاريف رحلة العمل مع الـ invoices",
            "I would like reimbursement of my business trip expenses, invoices attached",
        ),
        (
            "فاتورة مورد متأخرة",
            "المورد يطالب بفاتورة لم تدفع منذ شهرين",
            "المورد يطالب بـ invoice ما انصرفت من شهرين",
            "A supplier is chasing an invoice that has not been paid for two months",
        ),
        (
            "بدل العمل الإضافي",
            "لم يصرف بدل العمل الإضافي عن الشهر الماضي",
            "بدل الـ overtime ما انصرف عن الشهر الماضي",
            "My overtime allowance for last month has not been paid",
        ),
    ],
    C.FACILITIES: [
        (
            "التكييف لا يبرد",
            "التكييف في المكتب لا يبرد والحرارة مرتفعة",
            "الـ AC في المكتب ما يبرد والجو حر",
            "The air conditioning in our office is not cooling and it is very hot",
        ),
        (
            "تسرب مياه",
            "يوجد تسرب مياه من السقف فوق المكاتب",
            "فيه تسريب موية من السقف فوق المكاتب",
            "There is a water leak from the ceiling above the desks",
        ),
        (
            "الإضاءة في الممر",
            "مصابيح الممر في الطابق الثاني لا تعمل",
            "لمبات الممر في الدور الثاني طافية",
            "The corridor lights on the second floor are out",
        ),
        (
            "حجز قاعة",
            "أحتاج إلى حجز قاعة الاجتماعات الكبيرة يوم الخميس",
            "أبغى أحجز القاعة الكبيرة يوم الخميس لـ meeting",
            "I need to book the large meeting room on Thursday",
        ),
    ],
    C.OTHER: [
        (
            "اقتراح",
            "لدي اقتراح لتنظيم يوم رياضي للموظفين",
            "عندي اقتراح نسوي sports day للموظفين",
            "I have a suggestion to organise a sports day for staff",
        ),
        (
            "شكر للفريق",
            "أود شكر الفريق على سرعة الاستجابة",
            "شكر خاص للـ team على سرعة الاستجابة",
            "I would like to thank the team for the quick response",
        ),
        (
            "استفسار عن فعالية",
            "أريد معرفة تفاصيل الحفل السنوي للجهة",
            "أبغى أعرف تفاصيل الـ annual event",
            "I would like to know the details of the annual event",
        ),
    ],
}
