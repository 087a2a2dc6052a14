# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'membership_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_MembershipDialog(object):
    def setupUi(self, MembershipDialog):
        if not MembershipDialog.objectName():
            MembershipDialog.setObjectName(u"MembershipDialog")
        MembershipDialog.resize(500, 340)
        self.mainLayout = QVBoxLayout(MembershipDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.bodyLabel = QLabel(MembershipDialog)
        self.bodyLabel.setObjectName(u"bodyLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.bodyLabel)

        self.body = QLabel(MembershipDialog)
        self.body.setObjectName(u"body")
        self.body.setTextFormat(Qt.PlainText)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.body)

        self.seatLabel = QLabel(MembershipDialog)
        self.seatLabel.setObjectName(u"seatLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.seatLabel)

        self.seat = QLineEdit(MembershipDialog)
        self.seat.setObjectName(u"seat")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.seat)

        self.roleLabel = QLabel(MembershipDialog)
        self.roleLabel.setObjectName(u"roleLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.roleLabel)

        self.role = QComboBox(MembershipDialog)
        self.role.setObjectName(u"role")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.role)

        self.personLabel = QLabel(MembershipDialog)
        self.personLabel.setObjectName(u"personLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.personLabel)

        self.person = QComboBox(MembershipDialog)
        self.person.setObjectName(u"person")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.person)

        self.organisationLabel = QLabel(MembershipDialog)
        self.organisationLabel.setObjectName(u"organisationLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.organisationLabel)

        self.organisation = QComboBox(MembershipDialog)
        self.organisation.setObjectName(u"organisation")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.organisation)

        self.startLabel = QLabel(MembershipDialog)
        self.startLabel.setObjectName(u"startLabel")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.startLabel)

        self.start_date = QLineEdit(MembershipDialog)
        self.start_date.setObjectName(u"start_date")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.start_date)

        self.endLabel = QLabel(MembershipDialog)
        self.endLabel.setObjectName(u"endLabel")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.endLabel)

        self.end_date = QLineEdit(MembershipDialog)
        self.end_date.setObjectName(u"end_date")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.end_date)


        self.mainLayout.addLayout(self.form)

        self.errorSummary = QLabel(MembershipDialog)
        self.errorSummary.setObjectName(u"errorSummary")
        self.errorSummary.setWordWrap(True)

        self.mainLayout.addWidget(self.errorSummary)

        self.buttonBox = QDialogButtonBox(MembershipDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.seatLabel.setBuddy(self.seat)
        self.roleLabel.setBuddy(self.role)
        self.personLabel.setBuddy(self.person)
        self.organisationLabel.setBuddy(self.organisation)
        self.startLabel.setBuddy(self.start_date)
        self.endLabel.setBuddy(self.end_date)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(MembershipDialog)

        QMetaObject.connectSlotsByName(MembershipDialog)
    # setupUi

    def retranslateUi(self, MembershipDialog):
        MembershipDialog.setWindowTitle(QCoreApplication.translate("MembershipDialog", u"Membre d'une instance", None))
        self.bodyLabel.setText(QCoreApplication.translate("MembershipDialog", u"Instance", None))
        self.seatLabel.setText(QCoreApplication.translate("MembershipDialog", u"&Si\u00e8ge", None))
        self.seat.setPlaceholderText(QCoreApplication.translate("MembershipDialog", u"ex. \u00ab Repr\u00e9sentant de la CAF \u00bb (facultatif)", None))
        self.roleLabel.setText(QCoreApplication.translate("MembershipDialog", u"&R\u00f4le", None))
        self.personLabel.setText(QCoreApplication.translate("MembershipDialog", u"&Contact", None))
        self.organisationLabel.setText(QCoreApplication.translate("MembershipDialog", u"&Organisation repr\u00e9sent\u00e9e", None))
        self.startLabel.setText(QCoreApplication.translate("MembershipDialog", u"&Du", None))
        self.start_date.setPlaceholderText(QCoreApplication.translate("MembershipDialog", u"jj/mm/aaaa (facultatif)", None))
        self.endLabel.setText(QCoreApplication.translate("MembershipDialog", u"&Au", None))
        self.end_date.setPlaceholderText(QCoreApplication.translate("MembershipDialog", u"jj/mm/aaaa (vide : en cours)", None))
    # retranslateUi

